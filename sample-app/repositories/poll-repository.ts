import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { AppDatabase } from '../db';
import type { Choice, NewQuestion, Question } from '../models/poll';

interface QuestionRow {
  id: number;
  question_text: string;
  pub_date: string;
}

interface ChoiceRow {
  id: number;
  question_id: number;
  choice_text: string;
  votes: number;
}

/**
 * Polls and their choices. The container supplies it (a singleton per app), with the database
 * handle injected by type.
 * @example const poll = container.resolve(PollRepository).find(1);
 */
@injectable()
export class PollRepository {
  constructor(private readonly db: AppDatabase) {}

  /**
   * The most recent polls already published, newest first (the tutorial's `IndexView`,
   * which hides polls dated in the future).
   */
  latest(limit = 5): Question[] {
    const rows = this.db.sqlite
      .prepare('SELECT id, question_text, pub_date FROM polls_question WHERE pub_date <= ? ORDER BY pub_date DESC, id DESC LIMIT ?')
      .all(new Date().toISOString(), limit) as QuestionRow[];
    return rows.map((row) => this.toQuestion(row, this.choicesOf(row.id)));
  }

  /** The published poll with this id and its choices, or null (also for a future pub_date). */
  find(id: number): Question | null {
    const row = this.db.sqlite
      .prepare('SELECT id, question_text, pub_date FROM polls_question WHERE id = ? AND pub_date <= ?')
      .get(id, new Date().toISOString()) as QuestionRow | undefined;
    return row ? this.toQuestion(row, this.choicesOf(row.id)) : null;
  }

  /**
   * Count one vote for `choiceId` if it belongs to poll `questionId`. The increment happens in
   * SQL (Django's `F('votes') + 1`) so two simultaneous votes are both counted.
   * @returns false when the choice is not one of the poll's.
   */
  vote(questionId: number, choiceId: number): boolean {
    const result = this.db.sqlite
      .prepare('UPDATE polls_choice SET votes = votes + 1 WHERE id = ? AND question_id = ?')
      .run(choiceId, questionId);
    return result.changes === 1;
  }

  /** Insert a poll with its choices in one transaction and return it. */
  create(input: NewQuestion): Question {
    const { sqlite } = this.db;
    const pubDate = input.pubDate ?? new Date();
    const insert = sqlite.transaction((): number => {
      const id = Number(
        sqlite.prepare('INSERT INTO polls_question (question_text, pub_date) VALUES (?, ?)')
          .run(input.questionText, pubDate.toISOString()).lastInsertRowid,
      );
      const addChoice = sqlite.prepare('INSERT INTO polls_choice (question_id, choice_text) VALUES (?, ?)');
      for (const text of input.choices) addChoice.run(id, text);
      return id;
    });
    const id = insert();
    return this.toQuestion({ id, question_text: input.questionText, pub_date: pubDate.toISOString() }, this.choicesOf(id));
  }

  private choicesOf(questionId: number): Choice[] {
    const rows = this.db.sqlite
      .prepare('SELECT id, question_id, choice_text, votes FROM polls_choice WHERE question_id = ? ORDER BY id')
      .all(questionId) as ChoiceRow[];
    return rows.map((row) => ({ id: row.id, choiceText: row.choice_text, votes: row.votes }));
  }

  private toQuestion(row: QuestionRow, choices: Choice[]): Question {
    return { id: row.id, questionText: row.question_text, pubDate: new Date(row.pub_date), choices };
  }
}
