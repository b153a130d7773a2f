import { Notifications } from '@mantine/notifications';

/** The toast container, loaded after the first render so that it stays out of the entry chunk. */
export default function Toasts() {
  return <Notifications position="top-right" limit={3} />;
}
