import type { ChannelModel } from 'amqplib';
import { Queues } from '#messaging';

/** Images waiting in the detector queue, as the broker counts them. */
export async function waitingImages(broker: ChannelModel): Promise<number> {
  const channel = await broker.createChannel();
  try {
    return (await channel.checkQueue(Queues.detector)).messageCount;
  } finally {
    await channel.close();
  }
}
