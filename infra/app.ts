import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CvsStack } from './cvsStack.ts';
import { readParams } from './params.ts';

// `npx cdk synth|deploy -c exportBucket=NAME -c alertEmails=a@x.com,b@y.com ...`; parameters in infra/README.md.
const app = new App();
const params = readParams(app.node);
new CvsStack(app, String(app.node.tryGetContext('stackName') ?? 'Cvs'), {
  params,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
