/**
 * The `docker` builder: provisions a container started from an image and commits,
 * exports or discards it (packer-plugin-docker's builder, through the docker CLI).
 */
import { defineBuilder, prepared } from '../../../sdk/component.js';
import { runDockerBuild } from './builder.js';
import { dockerSchema, prepareDocker } from './config.js';

export default defineBuilder({
  name: 'docker',
  schema: dockerSchema,
  prepare: async (config) => prepared(config, prepareDocker(config), ['ImageSha256', 'SourceImageDigest', 'SourceImageSha256']),
  run: (config, ctx) => runDockerBuild(config, ctx),
});
