import { ArgsType, Field, registerEnumType } from 'type-graphql';

export enum Language {
  EN = 'EN',
  NL = 'NL',
}

registerEnumType(Language, {
  name: 'Language',
  description:
    'The language names and descriptions are returned in. Set it per field with the `language` argument, or for the whole request with the HTTP `Accept-Language` header. English is the default.',
  valuesConfig: {
    EN: { description: 'English.' },
    NL: { description: 'Dutch (Nederlands), the language of the source reports.' },
  },
});

/** Picks English or Dutch from an Accept-Language header, honouring its order; English by default. */
export function languageFromHeader(header: string | undefined): Language {
  if (!header) return Language.EN;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag ?? '', q: q ? Number(q) : 1, index };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'nl' || tag.startsWith('nl-')) return Language.NL;
    if (tag === 'en' || tag.startsWith('en-')) return Language.EN;
  }
  return Language.EN;
}

/** The text in the wanted language, falling back to English. */
export function localise(language: Language, en: string, nl: string | null | undefined): string {
  return language === Language.NL && nl ? nl : en;
}

@ArgsType()
export class LanguageArgs {
  @Field(() => Language, {
    nullable: true,
    description: 'The language to answer in. By default the language of the request\'s `Accept-Language` header, else English.',
  })
  language?: Language | null;
}

/** The language for one field: its argument, else the request's. */
export function languageOf(args: LanguageArgs, requestLanguage: Language): Language {
  return args.language ?? requestLanguage;
}
