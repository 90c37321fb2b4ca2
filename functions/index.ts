/**
 * Cloud Functions entry points (functions-framework), thin over the same core the CLI runs. Only
 * `validate` is loaded up front: the functions that print PDFs load Chromium's driver when first
 * called, so an instance of `validate` starts without it.
 */
import * as functions from '@google-cloud/functions-framework';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { instanceConfig } from './config.js';
import { validateHandler } from './http-validate.js';
import type { PubSubEventData } from './scheduled-messages.js';

const printing = () => import('./cloud-entry.js');
/** Live feedback (Drive's change feed): loads the Google clients, never Chromium. */
const liveFeedback = () => import('./live-entry.js');

functions.http('validate', validateHandler(instanceConfig));
functions.http('render', async (req, res) => (await printing()).render(req, res));
functions.cloudEvent('monitor', async (event: CloudEvent<PubSubEventData>) => (await printing()).monitor(event));
functions.http('notify', async (req, res) => (await liveFeedback()).notify(req, res));
functions.cloudEvent('live', async (event: CloudEvent<PubSubEventData>) => (await liveFeedback()).live(event));
functions.cloudEvent('worker', async (event: CloudEvent<PubSubEventData>) => (await printing()).worker(event));
