/** An AWS error as the sandbox raises it; the server renders it in the service's wire format. */
export class AwsError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400, readonly type: 'Sender' | 'Receiver' = 'Sender') {
    super(message);
    this.name = 'AwsError';
  }
}

export const noSuchEntity = (msg: string) => new AwsError('NoSuchEntity', msg, 404);
export const alreadyExists = (msg: string) => new AwsError('EntityAlreadyExists', msg, 409);
export const malformed = (msg: string) => new AwsError('MalformedPolicyDocument', msg, 400);
export const limitExceeded = (msg: string) => new AwsError('LimitExceeded', msg, 409);
export const deleteConflict = (msg: string) => new AwsError('DeleteConflict', msg, 409);
export const validationError = (msg: string) => new AwsError('ValidationError', msg, 400);
export const invalidInput = (msg: string) => new AwsError('InvalidInput', msg, 400);
