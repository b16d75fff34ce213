// Which view class shows which tab.

import type { Tab } from './state';
import type { View } from './context';
import { ScalarsView } from '../scalars/scalars-view';
import { MediaView } from '../images/images-view';
import { HparamsView } from '../hparams/hparams-view';
import { HistogramsView } from '../histograms/histograms-view';
import { TextView } from '../text/text-view';
import { PrCurvesView } from '../prcurves/pr-curves-view';
import { GraphsView } from '../graphs/graphs-view';
import { ProfilesView } from '../profiles/profiles-view';

export function createView(tab: Tab): View {
  switch (tab) {
    case 'scalars': return new ScalarsView();
    case 'histograms': return new HistogramsView('histograms');
    case 'distributions': return new HistogramsView('distributions');
    case 'images': return new MediaView('images');
    case 'audio': return new MediaView('audio');
    case 'text': return new TextView();
    case 'pr-curves': return new PrCurvesView();
    case 'hparams': return new HparamsView();
    case 'graphs': return new GraphsView();
    case 'profiles': return new ProfilesView();
  }
}
