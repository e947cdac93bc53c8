/** Page entry: mounts the Solid app. */
import { render } from 'solid-js/web';
import { App } from './ui/app';
import './ui/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks the #root element the app mounts into.');
render(() => <App />, root);
