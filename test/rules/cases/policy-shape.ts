/** Case table of src/linter/rules/policy-shape.ts (run by test/rules/rule-cases.test.ts; kept out of the build). */
import type { RuleCase } from './types.js';
import { allow } from './util.js';

export const cases: Record<string, RuleCase[]> = {
  'policy-shape': [
    { name: 'valid', fire: false, policy: { Version: '2012-10-17', Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/*')] } },
    { name: 'single statement object is valid', fire: false, policy: { Version: '2012-10-17', Statement: allow('s3:GetObject', 'arn:aws:s3:::b/*') } },
    { name: 'misspelt key', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Actions: 's3:GetObject', Resource: '*' }] }, message: 'unknown statement key "Actions"', at: { line: 6, column: 7 } },
    { name: 'no Statement', fire: true, policy: { Version: '2012-10-17' }, message: 'no Statement', at: { line: 1, column: 1 } },
    { name: 'Action of wrong type', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 5, Resource: '*' }] }, message: 'Action must be a string or a list of strings', at: { line: 6, column: 17 } },
    { name: 'condition block not an object', fire: true, policy: { Version: '2012-10-17', Statement: [allow('s3:GetObject', '*', { StringEquals: 'x' })] }, message: 'Condition operator StringEquals must map', at: { line: 9, column: 25 } },
    { name: 'a statement that is not an object', fire: true, policy: { Version: '2012-10-17', Statement: ['s3:GetObject'] }, message: 'statement 1 of policy case.json is not an object', at: { line: 4, column: 5 } },
    { name: 'Sid of wrong type', fire: true, policy: { Version: '2012-10-17', Statement: [{ Sid: 5, ...allow('s3:GetObject', 'arn:aws:s3:::b/*') }] }, message: 'Sid must be a string', at: { line: 5, column: 14 } },
    { name: 'Principal neither "*" nor an object', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: 'ec2.amazonaws.com', Action: 'sts:AssumeRole' }] }, message: 'Principal must be "*" or an object', at: { line: 6, column: 20 } },
    { name: 'misspelt principal type', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Services: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, message: 'unknown principal type "Services"', at: { line: 7, column: 9 } },
    { name: 'principal value of wrong type', fire: true, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 5 }, Action: 'sts:AssumeRole' }] }, message: 'Principal.AWS must be a string or a list of strings', at: { line: 7, column: 16 } },
    { name: 'Condition not an object', fire: true, policy: { Version: '2012-10-17', Statement: [{ ...allow('s3:GetObject', 'arn:aws:s3:::b/*'), Condition: 'true' }] }, message: 'Condition must be an object', at: { line: 8, column: 20 } },
    { name: 'condition value an object', fire: true, policy: { Version: '2012-10-17', Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/*', { StringEquals: { 'aws:username': { a: 1 } } })] }, message: 'values must be strings, numbers or booleans', at: { line: 10, column: 27 } },
    { name: 'a document that is not an object', fire: true, policy: [allow('s3:GetObject', 'arn:aws:s3:::b/*')], message: 'is not a JSON object', at: { line: 1, column: 1 } },
    { name: 'misspelt top-level key', fire: true, policy: { Version: '2012-10-17', Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/*')], Statment: [] }, message: 'unknown top-level key "Statment"', at: { line: 10, column: 3 } },
    { name: 'Id of wrong type', fire: true, policy: { Version: '2012-10-17', Id: 5, Statement: [allow('s3:GetObject', 'arn:aws:s3:::b/*')] }, message: 'Id must be a string', at: { line: 3, column: 9 } },
    { name: 'Statement of wrong type', fire: true, policy: { Version: '2012-10-17', Statement: 'allow everything' }, message: 'Statement must be a list', at: { line: 3, column: 16 } },
  ],
};
