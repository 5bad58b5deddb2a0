/** The dashboard's entry point (built by scripts/build-dashboard.ts into dist/dashboard/). */
import { render } from 'preact';
import { App } from './app.tsx';
import { prefetch } from './hooks.ts';
import { applyTheme, prefs } from './prefs.ts';
import { apiPath } from './query.ts';

applyTheme(prefs.theme());
// The answers every first view needs are asked for while the page renders.
prefetch(apiPath('meta'));
if (window.location.pathname === '/') prefetch(apiPath('overview'));
const root = document.getElementById('app');
if (root) render(<App />, root);
