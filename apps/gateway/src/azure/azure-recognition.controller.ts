import { Body, Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import type { Caller } from '../common/caller';
import { CurrentCaller } from '../common/caller.decorator';
import { imageInputOf, type RequestWithBody } from '../common/image-input';
import { DetectQuery } from '../detect/detect.dto';
import { DetectUseCases } from '../detect/detect.use-cases';
import { IdentifyBody } from '../identify/identify.dto';
import { IdentifyUseCases } from '../identify/identify.use-cases';
import { VerifyBody } from '../verify/verify.dto';
import { VerifyUseCases } from '../verify/verify.use-cases';
import { azureDetectedFace } from './azure.presenter';
import { azurePaths } from './azure.routes';
import { TakesImage } from '../request-body/takes-image.decorator';

/** Detect, identify and verify in the Azure dialect (spec §4-§6). */
@Controller(azurePaths(''))
export class AzureRecognitionController {
  constructor(
    private readonly detector: DetectUseCases,
    private readonly identifier: IdentifyUseCases,
    private readonly verifier: VerifyUseCases,
  ) {}

  @Post('detect')
  @HttpCode(200)
  @TakesImage()
  async detect(@CurrentCaller() caller: Caller, @Query() query: DetectQuery, @Req() request: RequestWithBody) {
    const options = this.detector.options(query);
    const faces = await this.detector.detect(caller, imageInputOf(request), options);
    return faces.map(azureDetectedFace);
  }

  @Post('identify')
  @HttpCode(200)
  identify(@CurrentCaller() caller: Caller, @Body() body: IdentifyBody) {
    return this.identifier.identify(caller, body);
  }

  @Post('verify')
  @HttpCode(200)
  verify(@CurrentCaller() caller: Caller, @Body() body: VerifyBody) {
    return this.verifier.verify(caller, body);
  }
}
