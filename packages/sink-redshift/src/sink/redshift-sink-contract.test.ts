import { describeSinkContract, memorySource } from '@sparkify/core/testing';
import { RedshiftEmulator } from '@sparkify/redshift-emulator';
import { EMULATOR_TARGET, emulatorDataPort, ImmediatePollClock, turnClock } from '../testing.js';
import { RedshiftSink } from './redshift-sink.js';

/** Cases the Data API or the emulator cannot pass as written, with why (see the package README). */
export const DATA_API_SKIPS = {
  'round-trips every column type through execute and query':
    'BIGINT travels as a JSON number (longValue) and loses precision above 2^53 in the SDK and the emulator; and the emulator reads backslashes in literals as Postgres does, not as Redshift (covered without them in redshift-sink.test.ts)',
  'reads expressions in the documented value shapes': 'BIGINT travels as a JSON number (longValue) and loses precision above 2^53 (covered without it in redshift-sink.test.ts)',
  'loads every column type':
    'the rows load exactly, but reading BIGINT 2^53+1 back through the Data API loses precision, and the emulator keeps backslashes doubled (covered in redshift-sink.test.ts, the bigint read as VARCHAR)',
  'quotes identifiers and literals': 'the emulator reads backslashes in string literals literally (standard_conforming_strings), Redshift as escapes; the dialect escapes for Redshift',
};

// One emulator for the file. Every statement stays PICKED for one event-loop turn (latency 1 on
// a clock whose sleeps are one turn), so "cancels a running statement" cancels it for real.
let emulator: RedshiftEmulator | undefined;
const shared = (): RedshiftEmulator => (emulator ??= new RedshiftEmulator({ clock: turnClock, faults: { latencyMs: 1 } }));
afterAll(() => emulator?.close());

describeSinkContract(
  'RedshiftSink over the in-process emulator',
  async () => ({
    sink: new RedshiftSink({ port: emulatorDataPort(shared()), target: EMULATOR_TARGET, clock: new ImmediatePollClock() }),
    source: memorySource,
  }),
  { slowQuery: 'SELECT 1 AS slow', skipTests: DATA_API_SKIPS },
);
