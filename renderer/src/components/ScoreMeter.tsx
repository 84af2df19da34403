/** A compact score bar (0–100) using <meter> so it needs no inline style. */
export function ScoreMeter({ score, label }: { score: number; label: string }) {
  return (
    <span className="score-meter">
      <meter min={0} max={100} low={50} high={99} optimum={100} value={score} aria-label={label} />
      <span className="score-meter-num num">{score}</span>
    </span>
  );
}
