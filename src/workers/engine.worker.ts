/** The engine module worker: exposes the engine host (in-thread engine + OPFS store) through comlink. */
import { expose } from 'comlink';
import './transfer';
import { makeEngine } from '../engine/engine';
import { makeEngineHost, pagePrepareMemoryBytes } from './engine.host';
import { makeOpfsPreparedStore } from './opfs-sink';

// deviceMemory is missing from the DOM typings (and from Firefox and Safari).
const deviceMemoryGiB = (navigator as WorkerNavigator & { deviceMemory?: number }).deviceMemory;
expose(makeEngineHost(makeEngine({ prepareMemoryBytes: pagePrepareMemoryBytes(deviceMemoryGiB) }), makeOpfsPreparedStore()));
