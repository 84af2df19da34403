import type { RuleResult } from '../../../shared/domain/evaluation';
import { TableWrap } from './TableWrap';

/** Every point of the score, rule by rule. */
export function RuleTrace({ rules }: { rules: RuleResult[] }) {
  const weight = rules.reduce((a, r) => a + r.weight, 0);
  const earned = rules.reduce((a, r) => a + r.earned, 0);
  return (
    <TableWrap label="Rule trace">
      <table className="table rule-trace">
        <caption className="visually-hidden">Rule trace: how each scoring rule contributed to the evidence score</caption>
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
              <td className={`right num earned ${r.earned >= r.weight ? 'full' : r.earned > 0 ? 'part' : 'none'}`}>{r.earned}</td>
              <td className="muted">{r.reason}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td>Total</td>
            <td className="right num">{weight}</td>
            <td className="right num">{earned}</td>
            <td />
          </tr>
        </tfoot>
      </table>
    </TableWrap>
  );
}
