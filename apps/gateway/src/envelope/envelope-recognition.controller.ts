import { Body, Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import type { Caller } from '../common/caller';
import { CurrentCaller } from '../common/caller.decorator';
import { Dialect } from '../common/dialect';
import { imageInputOf, type RequestWithBody } from '../common/image-input';
import { DetectQuery } from '../detect/detect.dto';
import { DetectUseCases } from '../detect/detect.use-cases';
import { GroupFacesBody } from '../face-grouping/face-grouping.dto';
import { FaceGroupingUseCases } from '../face-grouping/face-grouping.use-cases';
import { FindSimilarBody } from '../find-similar/find-similar.dto';
import { FindSimilarUseCases } from '../find-similar/find-similar.use-cases';
import { IdentifyBody } from '../identify/identify.dto';
import { IdentifyUseCases } from '../identify/identify.use-cases';
import { VerifyBody } from '../verify/verify.dto';
import { VerifyUseCases } from '../verify/verify.use-cases';
import {
  detectedFaceData,
  faceGroupingData,
  identifyData,
  ok,
  similarFaceData,
  verifyData,
} from './envelope.presenter';
import { TakesImage } from '../request-body/takes-image.decorator';

@Dialect('envelope')
@Controller()
export class EnvelopeRecognitionController {
  constructor(
    private readonly detector: DetectUseCases,
    private readonly identifier: IdentifyUseCases,
    private readonly verifier: VerifyUseCases,
    private readonly similar: FindSimilarUseCases,
    private readonly grouping: FaceGroupingUseCases,
  ) {}

  @Post('detect')
  @HttpCode(200)
  @TakesImage()
  async detect(@CurrentCaller() caller: Caller, @Query() query: DetectQuery, @Req() request: RequestWithBody) {
    const options = this.detector.options(query);
    const faces = await this.detector.detect(caller, imageInputOf(request), options);
    return ok(faces.map(detectedFaceData));
  }

  @Post('identify')
  @HttpCode(200)
  async identify(@CurrentCaller() caller: Caller, @Body() body: IdentifyBody) {
    return ok((await this.identifier.identify(caller, body)).map(identifyData));
  }

  @Post('verify')
  @HttpCode(200)
  async verify(@CurrentCaller() caller: Caller, @Body() body: VerifyBody) {
    return ok(verifyData(await this.verifier.verify(caller, body)));
  }

  @Post('findsimilars')
  @HttpCode(200)
  async findSimilar(@CurrentCaller() caller: Caller, @Body() body: FindSimilarBody) {
    return ok((await this.similar.findSimilar(caller, body)).map(similarFaceData));
  }

  @Post('group')
  @HttpCode(200)
  async group(@CurrentCaller() caller: Caller, @Body() body: GroupFacesBody) {
    return ok(faceGroupingData(await this.grouping.group(caller, body)));
  }
}
