/**
 * The `docker` builder: provisions a container started from an image and commits,
 * exports or discards it (packer-plugin-docker's builder, through the docker CLI).
 */
import { defineBuilder, prepared } from '../../../sdk/component.js';
import { dockerSchema, prepareDocker } from './config.js';

export default defineBuilder({
  name: 'docker',
  schema: dockerSchema,
  prepare: async (config) => prepared(config, prepareDocker(config), ['ImageSha256', 'SourceImageDigest', 'SourceImageSha256']),
  // The build's steps (processes, sockets, files) are loaded when a build runs, not by validate.
  run: async (config, ctx) => (await import('./builder.js')).runDockerBuild(config, ctx),
});
