const c = require('./jest.config.js');
module.exports = { projects: c.projects.map((p) => ({ ...p, testEnvironment: '/tmp/cpuenv/env.js' })) };
