import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import { decodeField } from './field-decoding.js';

const column = (typeName: string): ColumnMetadata => ({ name: 'c', typeName });

describe('decodeField', () => {
  it.each<[Field, string, unknown]>([
    [{ isNull: true }, 'int4', null],
    [{ booleanValue: false }, 'bool', false],
    [{ longValue: 42 }, 'int4', 42],
    [{ longValue: -32768 }, 'int2', -32768],
    [{ longValue: 2 ** 60 }, 'int8', 2n ** 60n],
    [{ doubleValue: 0.1 }, 'float8', 0.1],
    [{ stringValue: '12345.678' }, 'numeric', '12345.678'],
    [{ stringValue: '9007199254740993' }, 'int8', 9007199254740993n],
    [{ stringValue: '17' }, 'int8', 17],
    [{ stringValue: '2018-11-01' }, 'date', '2018-11-01'],
    [{ stringValue: '2018-11-01 21:01:46.796' }, 'timestamp', '2018-11-01 21:01:46.796'],
    [{ stringValue: '2018-11-01 21:01:46.500000' }, 'timestamp', '2018-11-01 21:01:46.5'],
    [{ stringValue: '1970-01-01 00:00:00.000001' }, 'timestamp', '1970-01-01 00:00:00.000001'],
    [{ stringValue: '2018-11-01 21:01:46.796+00' }, 'timestamptz', '2018-11-01 21:01:46.796'],
    [{ stringValue: '2018-11-01 23:01:46.796+02' }, 'timestamptz', '2018-11-01 21:01:46.796'],
    [{ stringValue: '2018-11-01 20:31:46-00:30' }, 'timestamptz', '2018-11-01 21:01:46'],
    [{ stringValue: 'it\'s "quoted"' }, 'varchar', 'it\'s "quoted"'],
    [{ stringValue: 'abcd' }, 'bpchar', 'abcd'],
    [{ blobValue: new Uint8Array([1, 255]) }, 'varbyte', '01ff'],
  ])('decodes %j of type %s', (field, typeName, expected) => {
    expect(decodeField(field, column(typeName))).toEqual(expected);
  });
});
