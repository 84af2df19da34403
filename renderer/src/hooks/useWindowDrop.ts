import { useEffect, useRef, useState } from 'react';

function carriesFiles(e: DragEvent): boolean {
  const types = e.dataTransfer?.types;
  return !!types && Array.from(types).includes('Files');
}

/**
 * Files dropped anywhere in the window. Returns whether files are being dragged over it (for the overlay).
 * The browser's default (navigating to the file) is always prevented.
 */
export function useWindowDrop(onDrop: (files: File[]) => void): boolean {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  const handler = useRef(onDrop);
  handler.current = onDrop;

  useEffect(() => {
    function enter(e: DragEvent) {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth.current += 1;
      setDragging(true);
    }
    function over(e: DragEvent) {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    }
    function leave(e: DragEvent) {
      if (!carriesFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    }
    function drop(e: DragEvent) {
      const files = e.dataTransfer?.files ? Array.from(e.dataTransfer.files) : [];
      e.preventDefault();
      depth.current = 0;
      setDragging(false);
      if (files.length) handler.current(files);
    }
    function reset() {
      depth.current = 0;
      setDragging(false);
    }
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    window.addEventListener('dragend', reset);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
      window.removeEventListener('dragend', reset);
    };
  }, []);

  return dragging;
}
