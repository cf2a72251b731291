import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';

export class GroupFacesBody {
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  faceIds!: string[];
}
