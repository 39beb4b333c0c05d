import { reverse } from 'reinhardt';

// Once, anywhere in your project: every route name with its parameters.
declare module 'reinhardt' {
  interface RouteNames {
    'poll-index': Record<string, never>;
    'poll-detail': { id: number };
  }
}

export const detailUrl: string = reverse('poll-detail', { id: 7 }); // '/polls/7/'
export const indexUrl: string = reverse('poll-index', {}, { page: 2 }); // '/polls/?page=2'
// reverse('poll-detial', { id: 7 })    -> compile error: not a route name
// reverse('poll-detail', { id: 'x' })  -> compile error: id is a number
