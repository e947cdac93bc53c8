/** The engine module worker: exposes the engine host (in-thread engine + OPFS store) through comlink. */
import { expose } from 'comlink';
import './transfer';
import { makeEngine } from '../engine/engine';
import { makeEngineHost } from './engine.host';
import { makeOpfsPreparedStore } from './opfs-sink';

expose(makeEngineHost(makeEngine(), makeOpfsPreparedStore()));
