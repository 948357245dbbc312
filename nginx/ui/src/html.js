// htm bound to Preact's h: tagged templates instead of JSX, so the sources
// run as they are (no JSX transform) and the bundle stays small.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
