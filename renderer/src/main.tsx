import { createRoot } from 'react-dom/client';

function App() {
  return <main>TokenOps</main>;
}

createRoot(document.getElementById('root')!).render(<App />);
