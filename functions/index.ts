/** Cloud Functions entry points (functions-framework): thin over the same core the CLI runs. */
import * as functions from '@google-cloud/functions-framework';
import { parseConfig, type Config } from './config.js';
import { validateHandler } from './http-validate.js';

let config: Config | undefined;
/** Configuration from the environment, parsed once, on the first call. */
const currentConfig = () => (config ??= parseConfig(process.env));

functions.http('validate', validateHandler(currentConfig));
