import type { RuleResult } from '../../../shared/domain/evaluation';
import { TableWrap } from './TableWrap';

/**
 * Every point of the score, rule by rule. A rule that does not apply to the run is shown as such (not as
 * a red 0) and left out of the total; the score is the earned share of the total, out of 100.
 */
export function RuleTrace({ rules, score }: { rules: RuleResult[]; score: number }) {
  const counted = rules.filter((r) => r.counted !== false);
  const weight = counted.reduce((a, r) => a + r.weight, 0);
  const earned = counted.reduce((a, r) => a + r.earned, 0);
  return (
    <TableWrap label="Rule trace">
      <table className="table rule-trace">
        <caption className="visually-hidden">
          Rule trace: how each scoring rule contributed to the evidence score
        </caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col" className="right">
              Weight
            </th>
            <th scope="col" className="right">
              Earned
            </th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.rule_id}>
              <td>
                <div className="rule-title">{r.title}</div>
                <div className="mono subtle">{r.rule_id}</div>
              </td>
              <td className="right num">{r.weight}</td>
              {r.counted === false ? (
                <td className="right num earned not-counted">
                  <span aria-hidden="true">—</span>
                  <span className="visually-hidden">does not apply</span>
                </td>
              ) : (
                <td className={`right num earned ${r.earned >= r.weight ? 'full' : r.earned > 0 ? 'part' : 'none'}`}>
                  {r.earned}
                </td>
              )}
              <td className="muted">{r.reason}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td>Total</td>
            <td className="right num">{weight}</td>
            <td className="right num">{earned}</td>
            <td className="muted">
              Score {score} of 100 ({earned} of {weight} points that apply)
            </td>
          </tr>
        </tfoot>
      </table>
    </TableWrap>
  );
}
