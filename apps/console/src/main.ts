/** Entry point of the console's bundle (vite.config.ts): renders the app into index.html's #app. */
import { h, render } from 'preact';
import { App } from './app';
import './styles.css';

render(h(App, {}), document.getElementById('app')!);
