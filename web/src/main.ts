import './styles.css';
import { livePage } from './pages/live';
import { startRouter } from './router';

// Later pages (map, word clouds, topics) are one more entry each.
startRouter([livePage], document.getElementById('page')!, document.getElementById('nav')!);
