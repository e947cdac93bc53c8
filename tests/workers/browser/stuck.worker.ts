/**
 * Test-only worker: an engine host whose `report` never settles and ignores `cancel` (like a WASM call
 * that cannot be interrupted), and whose `info` answers — to test that the client terminates it.
 */
import { expose } from 'comlink';
import '../../../src/workers/transfer';

let calls = 0;
expose({
  info: async () => ({ version: `stuck-${++calls}`, flavour: 'scalar' }),
  report: () => new Promise(() => {}),
  cancel: () => {},
});
