import { ConfigError } from '@sparkify/core';
import { bucketNameProblem, formatS3Uri, parseS3Uri, s3UriProblem } from './s3-uri.js';

describe('parseS3Uri', () => {
  it.each([
    ['s3://udacity-dend/log_data', { bucket: 'udacity-dend', key: 'log_data' }],
    ['s3://udacity-dend/log_data/', { bucket: 'udacity-dend', key: 'log_data/' }],
    ['s3://udacity-dend/', { bucket: 'udacity-dend', key: '' }],
    ['s3://udacity-dend', { bucket: 'udacity-dend', key: '' }],
    ["s3://my.bucket-1/a b/O'Brien\\x.json", { bucket: 'my.bucket-1', key: "a b/O'Brien\\x.json" }],
  ])('parses %s', (uri, expected) => {
    expect(parseS3Uri(uri)).toEqual(expected);
    expect(formatS3Uri(expected)).toBe(uri.endsWith('dend') ? `${uri}/` : uri);
  });

  it.each([
    ['s3:/x', /must start with s3:\/\//],
    ['http://udacity-dend/log_data', /must start with s3:\/\//],
    ['https://udacity-dend.s3.amazonaws.com/log_data', /must start with s3:\/\//],
    ['udacity-dend/log_data', /expected s3:\/\/bucket\/prefix/],
    ['s3:///log_data', /bucket name is missing/],
    ['s3://Udacity/log_data', /lower-case/],
    ['s3://my_bucket/x', /lower-case letters, digits, dots/],
    ['s3://ab/x', /3 to 63/],
    ['s3://-abc/x', /starts and ends/],
    ['s3://a..b/x', /adjacent dots/],
    ['s3://192.168.1.1/x', /IP address/],
    ['s3://xn--abc/x', /reserved/],
    ['s3://bucket/line\nbreak', /control character/],
  ])('refuses %j', (uri, reason) => {
    expect(s3UriProblem(uri)).toMatch(reason);
    let error: unknown;
    try {
      parseS3Uri(uri, 'resources.events.with.uri');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ location: { configPath: 'resources.events.with.uri' } });
    expect((error as Error).message).toContain('resources.events.with.uri');
    expect((error as Error).message).toMatch(reason);
  });

  it('accepts the longest bucket name and refuses one longer', () => {
    expect(bucketNameProblem('a'.repeat(63))).toBeUndefined();
    expect(bucketNameProblem('a'.repeat(64))).toMatch(/3 to 63/);
  });
});
