/**
 * An avatar that never shows a broken image: the initial sits underneath, the image (empty `alt`, so a
 * failed load draws nothing) is laid over it. CSS only, no script: the CSP allows none.
 */
export function Avatar(props: { src: string | undefined; name: string; small?: boolean }) {
  const initial = [...props.name.replace(/^@/, "")][0]?.toUpperCase() ?? "?";
  return (
    <span class={props.small === true ? "avatar small" : "avatar"} data-avatar-initial={initial}>
      <span aria-hidden="true">{initial}</span>
      {props.src === undefined ? null : (
        <img
          src={props.src}
          alt=""
          data-initial={initial}
          width={props.small === true ? "28" : "48"}
          height={props.small === true ? "28" : "48"}
        />
      )}
    </span>
  );
}
