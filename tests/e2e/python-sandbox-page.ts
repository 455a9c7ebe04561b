// Test page script (built with the site by tests/e2e/python-sandbox.test.ts): the golden
// tcp-echo scenario and its programs, and the sandbox API, on window for the test to call.
import { runPythonScenario } from '../../src/python/sandbox.ts';
import scenario from '../golden/cases/tcp-echo/scenario.json?raw';
import server from '../golden/cases/tcp-echo/server.py?raw';
import client from '../golden/cases/tcp-echo/client.py?raw';

(window as unknown as Record<string, unknown>).pythonSandbox = {
  runPythonScenario,
  tcpEcho: { scenario, files: { 'server.py': server, 'client.py': client } },
};
document.body.dataset.ready = 'yes';
