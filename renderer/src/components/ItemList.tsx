import { Icon, type IconName } from './Icon';
import { useShowMore } from './ShowMore';

/** Open items or next actions: sentences written for a person and an agent alike. */
export function ItemList({
  title,
  items,
  icon,
  empty,
  tone,
}: {
  title: string;
  items: string[];
  icon: IconName;
  empty: string;
  tone: 'warn' | 'info';
}) {
  const id = `list-${title.toLowerCase().replace(/\W+/g, '-')}`;
  const { shown, more } = useShowMore(items, title.toLowerCase());
  return (
    <section className="item-list" aria-labelledby={id}>
      <h3 id={id} className="mini-title">
        {title} <span className="count">{items.length}</span>
      </h3>
      {items.length === 0 ? (
        <p className="subtle">{empty}</p>
      ) : (
        <ul className="bullets">
          {shown.map((t) => (
            <li key={t}>
              <span className={`dot tone-text-${tone}`}>
                <Icon name={icon} size={14} />
              </span>
              <span>{t}</span>
            </li>
          ))}
        </ul>
      )}
      {more}
    </section>
  );
}
