// Entry point: language, router, then the app.
import { render } from 'preact';
import { html } from './html.js';
import { setLanguage, initialLanguage } from './i18n.js';
import { startRouter } from './router.js';
import { App } from './app.js';

setLanguage(initialLanguage(), false);
startRouter();
render(html`<${App} />`, document.getElementById('app'));
