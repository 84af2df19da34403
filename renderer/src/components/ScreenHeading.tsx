/** The screen's <h1>; focusable by script so focus lands on it after navigation. */
export function ScreenHeading({ children, id }: { children: React.ReactNode; id?: string }) {
  return (
    <h1 tabIndex={-1} id={id} data-screen-heading="">
      {children}
    </h1>
  );
}
