import { CapturingLogger, Client } from 'reinhardt';
import { buildApp } from './logging-request-log';

// A vote posted without its CSRF token, as a test would post it: the refusal's record.
export async function refusedVote() {
  const logger = new CapturingLogger();
  const client = new Client(buildApp(logger), { enforceCsrfChecks: true });
  const response = await client.post('/polls/1/vote/', { choice: '2' });
  // logger.records: [{ level: 'warn', requestId: <the response's X-Request-ID>,
  //   name: 'reinhardt.security.csrf', status: 403, msg: 'Forbidden (CSRF cookie not set.): /polls/1/vote/' }]
  return { response, records: logger.records };
}
