/** docs/examples/testing.ts is itself a jest suite (the README's test Client section): run it here. */
import '../../docs/examples/testing';
