/** docs/metrics.md's example, through the test Client: the lines the guide shows. */
import { Client } from 'reinhardt';
import { app } from '../../docs/examples/metrics';

test('docs/examples/metrics.ts: two polls and a stray URL, then the lines docs/metrics.md shows', async () => {
  const client = new Client(app);
  await client.get('/polls/1/');
  await client.get('/polls/2/');
  await client.get('/wp-login.php');
  const text = (await client.get('/metrics')).text;
  const lines = text.split('\n').filter((line) => /^http_requests_total|^http_request_duration_seconds_count|^http_requests_in_flight/.test(line));
  expect(lines).toEqual([
    'http_requests_total{method="GET",route="/polls/<int:id>/",status="2xx"} 2',
    'http_requests_total{method="GET",route="<unmatched>",status="4xx"} 1',
    'http_request_duration_seconds_count{method="GET",route="/polls/<int:id>/",status="2xx"} 2',
    'http_request_duration_seconds_count{method="GET",route="<unmatched>",status="4xx"} 1',
    'http_requests_in_flight 1',
  ]);
});
