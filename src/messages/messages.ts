/**
 * The `messages` namespace, as Django code reads `from django.contrib import messages`:
 * `messages.success(request, 'Voted')`, `messages.getMessages(request)`, `messages.SUCCESS`.
 *
 * @example
 * import { messages } from 'reinhardt';
 * messages.success(request, 'Your vote was recorded.');
 * return redirect(reverse('poll-results', { id }));
 */
export { addMessage, debug, error, getLevel, getMessages, info, setLevel, success, warning, MessageFailure } from './api';
export type { AddMessageOptions } from './api';
export { DEBUG, DEFAULT_LEVELS, DEFAULT_TAGS, ERROR, INFO, SUCCESS, WARNING } from './constants';
