/** The dashboard's entry point (built by scripts/build-dashboard.ts into dist/dashboard/). */
import { render } from 'preact';
import { App } from './app.tsx';
import { applyTheme, prefs } from './prefs.ts';

applyTheme(prefs.theme());
const root = document.getElementById('app');
if (root) render(<App />, root);
