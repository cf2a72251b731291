import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { Env } from '#config';

/** What only the one-process mode reads; the gateway, detector and store read their own variables as always. */
export class StandaloneConfig {
  /** Where the embedded PostgreSQL keeps its data; relative paths start at the working directory. */
  @Env()
  @IsString()
  @MinLength(1)
  VISAGE_DATA_DIR: string = 'visage-data';

  /** Port of the embedded PostgreSQL on 127.0.0.1 (for psql or a backup tool); 0 picks a free one at each start. */
  @Env()
  @IsInt()
  @Min(0)
  @Max(65535)
  EMBEDDED_POSTGRES_PORT: number = 0;
}
