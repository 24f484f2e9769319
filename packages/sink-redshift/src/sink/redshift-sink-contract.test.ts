import { describeSinkContract, memorySource } from '@sparkify/core/testing';
import { createEmulatorClient, RedshiftEmulator } from '@sparkify/redshift-emulator';
import { DATA_API_CONTRACT_SKIPS, EMULATOR_TARGET, ImmediatePollClock, turnClock } from '../testing.js';
import { RedshiftSink } from './redshift-sink.js';

// One emulator for the file. Every statement stays PICKED for one event-loop turn (latency 1 on
// a clock whose sleeps are one turn), so "cancels a running statement" cancels it for real.
let emulator: RedshiftEmulator | undefined;
const shared = (): RedshiftEmulator => (emulator ??= new RedshiftEmulator({ clock: turnClock, faults: { latencyMs: 1 } }));
afterAll(() => emulator?.close());

describeSinkContract(
  'RedshiftSink over the in-process emulator',
  async () => ({
    sink: new RedshiftSink({ port: createEmulatorClient(shared()), target: EMULATOR_TARGET, clock: new ImmediatePollClock() }),
    source: memorySource,
  }),
  { slowQuery: 'SELECT 1 AS slow', skipTests: DATA_API_CONTRACT_SKIPS },
);
