import { Module } from '@nestjs/common';
import { PersonsModule } from '../persons/persons.module';
import { FacesController } from './faces.controller';
import { FacesService } from './faces.service';

@Module({ imports: [PersonsModule], controllers: [FacesController], providers: [FacesService] })
export class FacesModule {}
