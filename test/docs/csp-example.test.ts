/**
 * docs/examples/csp.ts (docs/middleware.md, "Content-Security-Policy"), run through the test Client: the
 * headers asserted here are the ones the guide states.
 */
import { Client } from 'reinhardt';
import { buildApp } from '../../docs/examples/csp';

const ENFORCED = "default-src 'self'; script-src 'self'; object-src 'none'; upgrade-insecure-requests";
const REPORT_ONLY = "default-src 'self'; report-uri /csp-report/";

describe('docs/examples/csp.ts', () => {
  const client = new Client(buildApp());

  test("GET / : the nonce of the inline script is in the header's script-src", async () => {
    const response = await client.get('/');
    const nonce = /nonce="([A-Za-z0-9_-]{22})"/.exec(response.text)![1];
    expect(response.headers.get('Content-Security-Policy')).toBe(
      `default-src 'self'; script-src 'self' 'nonce-${nonce}'; object-src 'none'; upgrade-insecure-requests`,
    );
    expect(response.headers.get('Content-Security-Policy-Report-Only')).toBe(REPORT_ONLY);
  });

  test('GET /about/ : no nonce read, none in the header', async () => {
    const response = await client.get('/about/');
    expect(response.headers.get('Content-Security-Policy')).toBe(ENFORCED);
  });

  test("GET /map/ : the route's own enforced policy; the report-only one stays", async () => {
    const response = await client.get('/map/');
    expect(response.headers.get('Content-Security-Policy')).toBe("default-src 'self'; img-src 'self' https://tiles.example.com");
    expect(response.headers.get('Content-Security-Policy-Report-Only')).toBe(REPORT_ONLY);
  });

  test('GET /legacy/ : neither header', async () => {
    const response = await client.get('/legacy/');
    expect(response.headers.has('Content-Security-Policy')).toBe(false);
    expect(response.headers.has('Content-Security-Policy-Report-Only')).toBe(false);
  });
});
