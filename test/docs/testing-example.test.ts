/** docs/examples/testing.ts is itself a jest suite (docs/testing.md, the test Client): run it here. */
import '../../docs/examples/testing';
