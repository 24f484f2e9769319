import { z } from 'zod';

/** AWS region names: `us-west-2`, `eu-central-1`, `us-gov-west-1`. */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** An AWS region in a plugin config. */
export const awsRegionSchema = z.string().regex(AWS_REGION_PATTERN, 'expected an AWS region such as us-west-2');

/** An endpoint instead of AWS's (`http://127.0.0.1:4566`), or `""` for AWS itself. */
export const awsEndpointSchema = z.string().refine((value) => value === '' || /^https?:\/\/[^/\s]+(\/.*)?$/.test(value), {
  message: 'expected an http:// or https:// URL (or "" for AWS itself)',
});
