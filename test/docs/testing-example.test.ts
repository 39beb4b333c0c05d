/** docs/examples/testing.ts is itself a jest suite (docs/testing.md, the test Client): run it here. */
// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import '../../docs/examples/testing';
