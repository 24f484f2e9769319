import { ConfigError } from '@sparkify/core';
import { dwhConfigFrom, parseIni, targetFromHost } from './dwh-config.js';

const CFG = `[CLUSTER]
HOST=dwhcluster.c8abcdefgh12.us-west-2.redshift.amazonaws.com
DB_NAME='dwh'
DB_USER="dwhuser"
DB_PASSWORD=Passw0rd!
DB_PORT=5439

[IAM_ROLE]
ARN='arn:aws:iam::123456789012:role/dwhRole'

[S3]
LOG_DATA='s3://udacity-dend/log_data'
LOG_JSONPATH = s3://udacity-dend/log_json_path.json
SONG_DATA='s3://udacity-dend/song_data'
`;

describe('dwh.cfg', () => {
  it('reads every key, quoted or not', () => {
    expect(dwhConfigFrom(parseIni(CFG, 'dwh.cfg'), 'dwh.cfg')).toEqual({
      file: 'dwh.cfg',
      host: 'dwhcluster.c8abcdefgh12.us-west-2.redshift.amazonaws.com',
      database: 'dwh',
      dbUser: 'dwhuser',
      dbPassword: 'Passw0rd!',
      dbPort: '5439',
      iamRole: 'arn:aws:iam::123456789012:role/dwhRole',
      logData: 's3://udacity-dend/log_data',
      logJsonPath: 's3://udacity-dend/log_json_path.json',
      songData: 's3://udacity-dend/song_data',
    });
  });

  it('names a missing key with its section', () => {
    const text = CFG.replace(/SONG_DATA=.*\n/, '');
    expect(() => dwhConfigFrom(parseIni(text, 'dwh.cfg'), 'dwh.cfg')).toThrow('dwh.cfg: [S3] SONG_DATA is missing');
  });

  it('names the line of a malformed entry', () => {
    expect(() => parseIni('[CLUSTER]\nHOST\n', 'dwh.cfg')).toThrow(ConfigError);
    expect(() => parseIni('[CLUSTER]\nHOST\n', 'dwh.cfg')).toThrow(/^dwh\.cfg:2: /);
  });

  it.each([
    ['dwhcluster.c8abcdefgh12.us-west-2.redshift.amazonaws.com', { kind: 'cluster', clusterIdentifier: 'dwhcluster', region: 'us-west-2' }],
    ['my-cluster.xyz.eu-central-1.redshift.amazonaws.com:5439', { kind: 'cluster', clusterIdentifier: 'my-cluster', region: 'eu-central-1' }],
    ['default-wg.123456789012.us-east-1.redshift-serverless.amazonaws.com', { kind: 'serverless', workgroupName: 'default-wg', region: 'us-east-1' }],
  ])('derives the Data API target from %s', (host, target) => {
    expect(targetFromHost(host, 'dwh.cfg')).toEqual(target);
  });

  it('rejects a host that is not a Redshift endpoint', () => {
    expect(() => targetFromHost('localhost', 'dwh.cfg')).toThrow(/HOST "localhost" is not a Redshift endpoint host/);
  });
});
