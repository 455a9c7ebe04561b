import { mount } from 'svelte';
import App from './view/App.svelte';
import './view/styles.css';

const target = document.getElementById('app');
if (!target) throw new Error('wirescope: #app element missing from index.html');
mount(App, { target });
