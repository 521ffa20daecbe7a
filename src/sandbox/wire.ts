/** Rendering results and errors in each protocol's wire format. */
import type { AwsError } from './errors.js';
import { element, escapeXml, xmlDocument, type XmlValue } from './xml.js';

export type Service = 'iam' | 'ec2' | 'sts' | 'access-analyzer';

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const NS: Record<'iam' | 'sts' | 'ec2', string> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  ec2: 'http://ec2.amazonaws.com/doc/2016-11-15/',
};

const xmlHeaders = (requestId: string) => ({ 'content-type': 'text/xml', 'x-amzn-requestid': requestId });

/** awsQuery: <XResponse><XResult>…</XResult><ResponseMetadata><RequestId/></ResponseMetadata></XResponse> */
export function queryResult(service: 'iam' | 'sts', action: string, result: XmlValue | undefined, requestId: string): WireResponse {
  const resultXml = result === undefined ? '' : element(`${action}Result`, result, 'member');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NS[service]}">${resultXml}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: xmlHeaders(requestId), body };
}

export function queryError(service: 'iam' | 'sts', e: AwsError, requestId: string): WireResponse {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${NS[service]}"><Error><Type>${e.type}</Type><Code>${escapeXml(e.code)}</Code>` +
    `<Message>${escapeXml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: e.status, headers: xmlHeaders(requestId), body };
}

/** ec2Query: <XResponse><requestId/>…fields…</XResponse>, lists as <item>. */
export function ec2Result(action: string, result: { [k: string]: XmlValue }, requestId: string): WireResponse {
  return { status: 200, headers: xmlHeaders(requestId), body: xmlDocument(`${action}Response`, NS.ec2, { requestId, ...result }, 'item') };
}

export function ec2Error(e: AwsError, requestId: string): WireResponse {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message></Error></Errors>` +
    `<RequestID>${requestId}</RequestID></Response>`;
  return { status: e.status, headers: xmlHeaders(requestId), body };
}

export function jsonResult(status: number, value: unknown, requestId: string): WireResponse {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId }, body: JSON.stringify(value) };
}

/** restJson1 error: x-amzn-ErrorType header plus a JSON body with the message. */
export function jsonError(e: AwsError, requestId: string): WireResponse {
  return {
    status: e.status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': e.code },
    body: JSON.stringify(e.code === 'ValidationException' ? { message: e.message, reason: 'fieldValidationFailed' } : { message: e.message }),
  };
}
