import type {
  GetObjectCommand,
  GetObjectCommandOutput,
  HeadObjectCommand,
  HeadObjectCommandOutput,
  ListObjectsV2Command,
  ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';

export interface S3SendOptions {
  abortSignal?: AbortSignal;
}

/**
 * The slice of `S3Client` the source calls: `send` for three read-only commands. The real
 * client satisfies it (pointed at AWS or at the emulator's endpoint), and so can a fake.
 */
export interface S3Port {
  send(command: ListObjectsV2Command, options?: S3SendOptions): Promise<ListObjectsV2CommandOutput>;
  send(command: GetObjectCommand, options?: S3SendOptions): Promise<GetObjectCommandOutput>;
  send(command: HeadObjectCommand, options?: S3SendOptions): Promise<HeadObjectCommandOutput>;
}
