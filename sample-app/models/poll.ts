/** A choice of a poll, with its vote count (Django tutorial's `Choice`). */
export interface Choice {
  readonly id: number;
  readonly choiceText: string;
  readonly votes: number;
}

/** A poll question (Django tutorial's `Question`); `choices` in creation order. */
export interface Question {
  readonly id: number;
  readonly questionText: string;
  readonly pubDate: Date;
  readonly choices: Choice[];
}

/** What a new poll needs; `pubDate` defaults to now. */
export interface NewQuestion {
  readonly questionText: string;
  readonly choices: readonly string[];
  readonly pubDate?: Date;
}
